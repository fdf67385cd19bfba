using System.Text.Json;
using Vigil.Imaging;
using Vigil.Imaging.Dicom;
using Vigil.Models.Cards;
using Vigil.Models.Onnx;
using Vigil.Ppg;

namespace Vigil.Cli;

/// <summary>
/// Turns an exception that reached the top of a command into the one line a user sees: the
/// message of the input error (the project's exceptions name the file and the fault), the path for
/// a missing file, and for anything unexpected its type and message marked as an internal error.
/// </summary>
internal static class CliErrors
{
    public static string Describe(Exception e)
    {
        while (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        var line = e switch
        {
            FileNotFoundException f when f.FileName is { Length: > 0 } name => $"{name}: file not found",
            DirectoryNotFoundException or FileNotFoundException or UnauthorizedAccessException or IOException => e.Message,
            CommandLineException or FormatException or InvalidDataException or ModelCardException or OnnxRuntimeException
                or PpgInputException or ImageFormatException or DicomFormatException
                or Vigil.Cluster.Configuration.ClusterConfigException or Vigil.WardConsole.Storage.WardStoreException => e.Message,
            // Options a library refuses (e.g. a benchmark's stream count): its message, without the parameter name.
            ArgumentException arg => arg.ParamName is { } param ? arg.Message.Replace($" (Parameter '{param}')", "", StringComparison.Ordinal) : arg.Message,
            JsonException j => $"malformed JSON{(j.Path is { } p ? $" at {p}" : "")}: {j.Message}",
            OperationCanceledException => "cancelled",
            _ => $"internal error ({e.GetType().Name}: {e.Message}); run with VIGIL_DEBUG=1 for the stack trace and please report it",
        };
        return FirstLine(line);
    }

    // One line: later lines (usage text, inner details) are dropped.
    private static string FirstLine(string text)
    {
        var nl = text.IndexOfAny(['\r', '\n']);
        return nl < 0 ? text : text[..nl].TrimEnd();
    }
}
