namespace OpenBao.Csi.Provider.OpenBao;

/// <summary>The body of <c>auth/&lt;mount&gt;/login</c> for kubernetes and jwt auth. Its JWT never reaches a log.</summary>
internal sealed record LoginRequest(string Role, string Jwt)
{
    public override string ToString() => $"LoginRequest(role={Role})";
}
