using Vigil.Models.Cards;

namespace Vigil.WardConsole.Reports;

/// <summary>The model cards in a folder, read (not loaded) for <c>/api/models</c>: identity, provenance and intended use.</summary>
public static class ModelCards
{
    /// <summary>A card as the API shows it.</summary>
    /// <param name="Id">Model id.</param>
    /// <param name="Version">Version.</param>
    /// <param name="Sha256">SHA-256 of the model file.</param>
    /// <param name="Task">What it does.</param>
    /// <param name="Description">Card description.</param>
    /// <param name="NotForClinicalUse">Whether results must say NOT FOR CLINICAL USE.</param>
    /// <param name="Card">Card file name.</param>
    /// <param name="Training">Training data and validation figures as the card states them.</param>
    /// <param name="Error">Why the card could not be read, when it could not.</param>
    public sealed record CardView(string Id, string Version, string Sha256, string Task, string Description, bool NotForClinicalUse, string Card, object? Training, string? Error);

    /// <summary>Reads every <c>*.card.json</c> under <paramref name="folder"/>; unreadable cards are listed with their error.</summary>
    public static IReadOnlyList<CardView> Read(string? folder)
    {
        if (folder is null || !Directory.Exists(folder)) return [];
        var list = new List<CardView>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.card.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            try
            {
                var c = ModelCardReader.Read(path);
                list.Add(new CardView(c.Id, c.Version, c.Sha256, c.Task, c.Description, c.NotForClinicalUse, Path.GetRelativePath(folder, path), c.Training, null));
            }
            catch (Exception e) when (e is ModelCardException or IOException or System.Text.Json.JsonException or InvalidDataException)
            {
                list.Add(new CardView("", "", "", "", "", true, Path.GetRelativePath(folder, path), null, e.Message));
            }
        }
        return list;
    }
}
