namespace OpenBao.Emulator.Internal.Http;

/// <summary>Something mounted at a path prefix: a secrets engine, an auth method, sys or the token store.</summary>
internal interface IBackend
{
    /// <param name="path">The request path with the mount prefix removed.</param>
    ApiResult Handle(ApiRequest request, string path);
}
