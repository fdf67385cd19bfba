namespace Vigil.Video.Backbone;

/// <summary>A backbone whose attention Softmax outputs were added to its graph outputs.</summary>
/// <param name="SourcePath">The user's model file.</param>
/// <param name="SourceSha256">sha256 of that file (the cache key and the provenance).</param>
/// <param name="TappedPath">The edited model in the cache.</param>
/// <param name="AttentionOutputs">The attention outputs, one per tapped block, in graph order.</param>
/// <param name="FromCache">True when the edit was found in the cache.</param>
public sealed record TappedModel(string SourcePath, string SourceSha256, string TappedPath, IReadOnlyList<string> AttentionOutputs, bool FromCache);
