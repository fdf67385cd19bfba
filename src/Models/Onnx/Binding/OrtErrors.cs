using System.Text.RegularExpressions;
using Ort = Microsoft.ML.OnnxRuntime;

namespace Vigil.Models.Onnx.Binding;

/// <summary>
/// Turns the official binding's exceptions into <see cref="OnnxRuntimeException"/> with Vigil's
/// error code, model id and context. The binding keeps ORT's code internal and writes it as
/// <c>[ErrorCode:Name]</c> at the start of the message, so the code is read from there.
/// </summary>
internal static partial class OrtErrors
{
    public static OnnxRuntimeException Translate(Ort.OnnxRuntimeException e, string? modelId, string? context)
    {
        var m = CodePattern().Match(e.Message);
        var code = OnnxErrorCode.Fail;
        var message = e.Message;
        if (m.Success)
        {
            message = m.Groups[2].Value;
            code = m.Groups[1].Value switch
            {
                // ORT_EP_FAIL is written under its older name by the binding.
                "ShapeInferenceNotRegistered" => OnnxErrorCode.ExecutionProviderFailure,
                var name when Enum.TryParse<OnnxErrorCode>(name, out var parsed) && (int)parsed < 100 => parsed,
                _ => OnnxErrorCode.Fail,
            };
        }
        return new OnnxRuntimeException(code, message.Trim(), modelId, context, e);
    }

    [GeneratedRegex(@"^\[ErrorCode:(\w+)\]\s*(.*)$", RegexOptions.Singleline)]
    private static partial Regex CodePattern();
}
