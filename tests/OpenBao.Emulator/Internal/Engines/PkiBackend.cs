using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OpenBao.Emulator.Internal.Crypto;
using OpenBao.Emulator.Internal.Formatting;
using OpenBao.Emulator.Internal.Http;
using OpenBao.Emulator.Internal.Tokens;

namespace OpenBao.Emulator.Internal.Engines;

/// <summary>
/// A PKI mount whose issuer is either its own root CA or an intermediate CA signed by a separate root
/// (as when an intermediate is generated, signed and its chain imported). <c>issue/&lt;role&gt;</c> signs
/// a real RSA-2048 leaf; role defaults follow OpenBao's (localhost and IP SANs allowed, bare domains and
/// globs not).
/// </summary>
internal sealed class PkiBackend : IBackend
{
    /// <summary>OpenBao backdates certificates by this much (<c>not_before_duration</c>).</summary>
    private static readonly TimeSpan NotBeforeSkew = TimeSpan.FromSeconds(30);

    private readonly RoleTable<PkiRoleSettings> _roles = new();
    private readonly EmulatorContext _context;
    private readonly X509Certificate2 _issuer;

    /// <summary>The issuer's <c>ca_chain</c>: the issuer itself, then each parent up to the root.</summary>
    private readonly IReadOnlyList<X509Certificate2> _chain;

    /// <param name="withIntermediateCa">Issue from an intermediate signed by the root instead of from the root.</param>
    public PkiBackend(EmulatorContext context, string mount, bool withIntermediateCa)
    {
        _context = context;
        var now = context.Time.GetUtcNow();
        var notBefore = now - TimeSpan.FromHours(1);
        var root = CertificateFactory.CreateRootCa($"OpenBao Emulator Root CA ({mount})", notBefore, now.AddYears(10));
        RootCaPem = root.ExportCertificatePem();
        if (withIntermediateCa)
        {
            _issuer = CertificateFactory.CreateIntermediateCa(root, $"OpenBao Emulator Intermediate CA ({mount})", notBefore, now.AddYears(5));
            IntermediateCaPem = _issuer.ExportCertificatePem();
            _chain = [_issuer, root];
        }
        else
        {
            _issuer = root;
            _chain = [root];
        }
    }

    public string RootCaPem { get; }

    /// <summary>Null on a mount that issues from its root.</summary>
    public string? IntermediateCaPem { get; }

    /// <summary>What <c>issuing_ca</c> holds: the intermediate when there is one, else the root.</summary>
    public string IssuingCaPem => IntermediateCaPem ?? RootCaPem;

    public void AddRole(string name, PkiRoleSettings settings) => _roles.Add(name, settings);

    public ApiResult Handle(ApiRequest request, string path)
    {
        if (RoleTable<PkiRoleSettings>.RoleNameAfter(path, "issue/") is not { } roleName)
        {
            return ApiResult.UnsupportedPath();
        }

        return request.Operation == Operation.Update ? Issue(request, roleName) : ApiResult.UnsupportedOperation();
    }

    private ApiResult Issue(ApiRequest request, string roleName)
    {
        if (_roles.Find(roleName) is not { } role)
        {
            return ApiResult.BadRequest($"unknown role: {roleName}");
        }

        var fields = request.Fields;
        var format = fields.GetString("format") is { Length: > 0 } given ? given : "pem";
        if (format is not ("pem" or "der" or "pem_bundle"))
        {
            return ApiResult.BadRequest("the \"format\" path parameter must be \"pem\", \"der\", or \"pem_bundle\"");
        }

        if (!fields.TryGetBool("remove_roots_from_chain", out var removeRoots, out var removeRootsError))
        {
            return ApiResult.BadRequest(removeRootsError!);
        }

        var commonName = fields.GetString("common_name");
        if (commonName.Length == 0)
        {
            return ApiResult.BadRequest("the common_name field is required, or must be provided in a CSR with \"use_csr_common_name\" set to true, unless \"require_cn\" is set to false");
        }

        List<string> dnsNames = [.. new[] { commonName }.Concat(fields.GetList("alt_names")).Where(name => !name.Contains('@', StringComparison.Ordinal)).Distinct(StringComparer.Ordinal)];
        if (!IsAllowed(role, commonName))
        {
            return ApiResult.BadRequest($"common name {commonName} not allowed by this role");
        }

        if (dnsNames.FirstOrDefault(name => !IsAllowed(role, name)) is { } badName)
        {
            return ApiResult.BadRequest($"subject alternate name {badName} not allowed by this role");
        }

        var ipAddresses = new List<IPAddress>();
        foreach (var text in fields.GetList("ip_sans"))
        {
            if (!IPAddress.TryParse(text, out var address))
            {
                return ApiResult.BadRequest($"the value \"{text}\" is not a valid IP address");
            }

            ipAddresses.Add(address);
        }

        if (!fields.TryGetDuration("ttl", out var ttl, out var ttlError))
        {
            return ApiResult.BadRequest(ttlError!);
        }

        List<string> warnings = [];
        ttl = ttl > TimeSpan.Zero ? ttl : TtlCalculator.SystemDefault;
        if (ttl > TtlCalculator.SystemMax)
        {
            warnings.Add($"TTL \"{GoDuration.Format(ttl)}\" is longer than permitted maxTTL \"{GoDuration.Format(TtlCalculator.SystemMax)}\", so maxTTL is being used");
            ttl = TtlCalculator.SystemMax;
        }

        var now = _context.Time.GetUtcNow();
        var notBefore = TruncateToSeconds(now - NotBeforeSkew);
        var notAfter = TruncateToSeconds(now + ttl);
        var serial = CertificateFactory.NewSerialNumber();
        using var key = RSA.Create(2048);
        using var certificate = CertificateFactory.IssueLeaf(_issuer, key, commonName, dnsNames, ipAddresses, notBefore, notAfter, serial);

        var data = Render(format, certificate, key, fields.GetString("private_key_format") == "pkcs8", removeRoots);
        data["serial_number"] = CertificateFactory.FormatSerialNumber(serial);
        data["not_before"] = notBefore.ToUnixTimeSeconds();
        data["expiration"] = notAfter.ToUnixTimeSeconds();

        var result = new EnvelopeResult { Data = data, Warnings = warnings.Count > 0 ? warnings : null };
        if (!role.GenerateLease)
        {
            return result;
        }

        var leaseTtl = notAfter - now;
        var lease = _context.Leases.Register(request.Namespace, request.Path, leaseTtl, () => new LeaseTerms(leaseTtl, TimeSpan.Zero), renewable: false, request.Token!);
        return new EnvelopeResult
        {
            LeaseId = lease.Id,
            LeaseDuration = (long)lease.GrantedTtl.TotalSeconds,
            Data = result.Data,
            Warnings = result.Warnings,
        };
    }

    /// <param name="removeRoots">Leave self-signed certificates out of <c>ca_chain</c>; with nothing left, OpenBao omits the key.</param>
    private Dictionary<string, object?> Render(string format, X509Certificate2 certificate, RSA key, bool pkcs8, bool removeRoots)
    {
        IReadOnlyList<X509Certificate2> chain = removeRoots ? [.. _chain.Where(ca => !IsSelfSigned(ca))] : _chain;
        Dictionary<string, object?> data;
        if (format == "der")
        {
            data = new Dictionary<string, object?>
            {
                ["certificate"] = Convert.ToBase64String(certificate.RawData),
                ["issuing_ca"] = Convert.ToBase64String(_issuer.RawData),
                ["private_key"] = Convert.ToBase64String(pkcs8 ? key.ExportPkcs8PrivateKey() : key.ExportRSAPrivateKey()),
                ["private_key_type"] = "rsa",
            };
            if (chain.Count > 0)
            {
                data["ca_chain"] = chain.Select(ca => Convert.ToBase64String(ca.RawData)).ToArray();
            }

            return data;
        }

        var privateKeyPem = pkcs8 ? key.ExportPkcs8PrivateKeyPem() : key.ExportRSAPrivateKeyPem();
        var certificatePem = certificate.ExportCertificatePem();
        var chainPems = chain.Select(ca => ca.ExportCertificatePem()).ToArray();

        // OpenBao's PEM bundle is key, leaf and the issuer's whole chain, whatever remove_roots_from_chain says.
        var bundle = string.Join('\n', [privateKeyPem, certificatePem, .. _chain.Select(ca => ca.ExportCertificatePem())]);
        data = new Dictionary<string, object?>
        {
            ["certificate"] = format == "pem_bundle" ? bundle : certificatePem,
            ["issuing_ca"] = IssuingCaPem,
            ["private_key"] = privateKeyPem,
            ["private_key_type"] = "rsa",
        };
        if (chainPems.Length > 0)
        {
            data["ca_chain"] = chainPems;
        }

        return data;
    }

    private static bool IsSelfSigned(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);

    /// <summary>OpenBao's name check with role defaults: localhost allowed, bare domains not, <c>*.</c> wildcards allowed.</summary>
    private static bool IsAllowed(PkiRoleSettings role, string name)
    {
        if (name is "localhost" or "localdomain")
        {
            return true;
        }

        var subject = name.StartsWith("*.", StringComparison.Ordinal) ? name[2..] : name;
        return role.AllowSubdomains && role.AllowedDomains.Any(domain =>
            subject.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase)
            || (subject != name && string.Equals(subject, domain, StringComparison.OrdinalIgnoreCase)));
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset value) =>
        new(value.UtcTicks - (value.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
