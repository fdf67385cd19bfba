namespace Vigil.Video.Training;

/// <summary>The temporal unit of an adapter.</summary>
public enum AdapterKind
{
    /// <summary>One transformer encoder layer over the window, with learned positions.</summary>
    Transformer,

    /// <summary>A temporal convolution network: three residual dilated convolutions (dilation 1, 2, 4).</summary>
    Tcn,

    /// <summary>A bidirectional LSTM.</summary>
    Lstm,
}
