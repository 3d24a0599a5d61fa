using System.Text;

namespace OpenBao.Csi.Provider.Shell;

/// <summary>
/// The driver's check of each file path in a Mount response (fileutil <c>Validate</c>): relative, at most
/// 4096 bytes, no element <c>..</c> or longer than 255 bytes, not starting with <c>..</c> (its own hidden
/// names), and already clean. Go measures strings in UTF-8 bytes. A response that breaks one is refused whole.
/// </summary>
internal static class DriverFilePath
{
    private const int MaxPathLength = 4096;
    private const int MaxNameLength = 255;

    /// <returns>Why the driver refuses the path, naming it; null when it is safe to write under the target.</returns>
    public static string? Problem(string path)
    {
        var quoted = $"file path \"{path}\"";
        if (path.Length == 0)
        {
            return "a file path is empty";
        }

        if (path[0] == '/')
        {
            return $"{quoted} must be relative";
        }

        if (Encoding.UTF8.GetByteCount(path) > MaxPathLength)
        {
            return $"{quoted[..40]}…\" is longer than {MaxPathLength} bytes";
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return $"{quoted.Replace("\0", "\\0", StringComparison.Ordinal)} contains a NUL character";
        }

        var elements = path.Split('/');
        if (elements.Contains(".."))
        {
            return $"{quoted} must not contain a '..' element";
        }

        if (elements.Any(e => Encoding.UTF8.GetByteCount(e) > MaxNameLength))
        {
            return $"{quoted} has a name longer than {MaxNameLength} bytes";
        }

        if (elements[0].StartsWith("..", StringComparison.Ordinal))
        {
            return $"{quoted} must not start with '..'";
        }

        // The driver compares with Go's filepath.Clean: empty or '.' elements and a trailing '/' are refused.
        return elements.Any(e => e is "" or ".") ? $"{quoted} is not clean (empty or '.' elements, or a trailing '/')" : null;
    }
}
