namespace OpenBao.Emulator.Internal.Http;

/// <summary>What a handler answers; <see cref="ResponseWriter"/> turns it into OpenBao's exact bytes.</summary>
internal abstract class ApiResult(int statusCode)
{
    public int StatusCode { get; } = statusCode;

    public static ApiResult NoContent { get; } = new NoContentResult();

    public static ApiResult Error(int statusCode, string message) => new ErrorResult(statusCode, [message]);

    public static ApiResult BadRequest(string message) => Error(400, message);

    /// <summary>A read that found nothing: 404 with an empty error list.</summary>
    public static ApiResult NotFound() => new ErrorResult(404, []);

    /// <summary>
    /// Errors that travel through OpenBao's core as Go multierrors (rather than a backend's error
    /// response) reach the client in this shape.
    /// </summary>
    public static ApiResult Wrapped(int statusCode, string message) =>
        Error(statusCode, $"1 error occurred:\n\t* {message}\n\n");

    /// <summary>Missing, unknown, expired or revoked token.</summary>
    public static ApiResult InvalidToken() => Error(403, "permission denied");

    /// <summary>A valid token whose policies do not grant the path.</summary>
    public static ApiResult PolicyDenied() => Wrapped(403, "permission denied");

    public static ApiResult UnsupportedOperation() => Wrapped(405, "unsupported operation");

    /// <summary>A mounted backend with no pattern for the path.</summary>
    public static ApiResult UnsupportedPath() => Wrapped(404, "unsupported path");

    /// <summary>No mount at all for the path.</summary>
    public static ApiResult NoHandler(string path) =>
        Error(404, $"no handler for route \"{path}\". route entry not found.");
}
