namespace Kubernetes.Emulator;

/// <summary>
/// One validation failure, shaped like apimachinery's field.Error so the Invalid Status
/// text matches the API server's: "&lt;Field&gt;: &lt;Body&gt;".
/// </summary>
/// <param name="Field">The JSON path, e.g. <c>metadata.name</c> or <c>data[a/b]</c>.</param>
/// <param name="CauseType">The Status cause reason, e.g. <c>FieldValueInvalid</c>.</param>
/// <param name="Body">The error text after the field, e.g. <c>Invalid value: "x": ...</c>.</param>
internal sealed record FieldError(string Field, string CauseType, string Body)
{
    public static FieldError Invalid(string field, string renderedValue, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: {renderedValue}: {detail}");

    /// <param name="detail">Empty for the bare "Required value" that many validators give.</param>
    public static FieldError Required(string field, string detail) =>
        new(field, "FieldValueRequired", detail.Length == 0 ? "Required value" : $"Required value: {detail}");

    public static FieldError TooLong(string field, int maxLength) =>
        new(field, "FieldValueTooLong", $"Too long: may not be more than {maxLength} bytes");

    public override string ToString() => $"{Field}: {Body}";
}
