using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Vigil.Video.Training;

/// <summary>
/// A temporal adapter on frozen-backbone features: [batch, frames, features] (normalised) →
/// Linear → temporal unit (transformer, TCN or LSTM) → Linear → per-frame label logits [batch, frames, labels].
/// </summary>
internal sealed class AdapterModule : nn.Module<Tensor, Tensor>
{
    private readonly AdapterKind _kind;
    private readonly Linear _input;
    private readonly Dropout _dropout;
    private readonly Linear _output;
    private readonly Parameter? _positions;
    private readonly TransformerEncoderLayer? _transformer;
    private readonly ModuleList<Conv1d>? _convolutions;
    private readonly LSTM? _lstm;

    public AdapterModule(AdapterConfig config) : base("vigil_video_adapter")
    {
        _kind = config.Kind;
        var h = config.Hidden;
        _input = nn.Linear(config.FeatureDimension, h);
        _dropout = nn.Dropout(0.2);
        _output = nn.Linear(h, config.Labels.Count);
        switch (config.Kind)
        {
            case AdapterKind.Transformer:
                _positions = nn.Parameter(randn(config.WindowFrames, 1, h) * 0.02f);
                _transformer = nn.TransformerEncoderLayer(h, 4, 2 * h, 0.1);
                break;
            case AdapterKind.Tcn:
                _convolutions = nn.ModuleList<Conv1d>(
                    nn.Conv1d(h, h, 3, 1, 1, 1), nn.Conv1d(h, h, 3, 1, 2, 2), nn.Conv1d(h, h, 3, 1, 4, 4));
                break;
            case AdapterKind.Lstm:
                _lstm = nn.LSTM(h, h / 2, 1, true, true, 0, true);
                break;
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        var h = nn.functional.relu(_input.call(x));
        h = _dropout.call(h);
        switch (_kind)
        {
            case AdapterKind.Transformer:
                {
                    var frames = h.shape[1];
                    var s = h.permute(1, 0, 2) + _positions![..(int)frames];
                    h = _transformer!.call(s).permute(1, 0, 2);
                    break;
                }
            case AdapterKind.Tcn:
                {
                    var c = h.permute(0, 2, 1);
                    foreach (var conv in _convolutions!) c = c + nn.functional.relu(conv.call(c));
                    h = c.permute(0, 2, 1);
                    break;
                }
            case AdapterKind.Lstm:
                h = _lstm!.call(h).Item1;
                break;
        }
        return _output.call(h);
    }
}
