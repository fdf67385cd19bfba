using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vigil.WardConsole.Storage;

/// <summary>How the store writes JSON payloads: web names, and NaN kept (a withheld window's rate is NaN).</summary>
internal static class StoreJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };
}
