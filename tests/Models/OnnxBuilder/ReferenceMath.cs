using Vigil.Models.OnnxBuilder;

namespace Vigil.Models.Tests.OnnxBuilder;

/// <summary>
/// Plain-loop C# implementations of the demonstration models' maths (double accumulation),
/// written independently of ONNX Runtime so its outputs can be checked against them.
/// Tensors are row-major float arrays.
/// </summary>
internal static class ReferenceMath
{
    /// <summary>2-D convolution of one image [C,H,W] with weights [O,C,K,K], stride s, zero padding p.</summary>
    public static float[] Conv(float[] x, int c, int h, int w, float[] weight, float[] bias, int o, int k, int stride, int pad, out int oh, out int ow)
    {
        oh = (h + 2 * pad - k) / stride + 1;
        ow = (w + 2 * pad - k) / stride + 1;
        var y = new float[o * oh * ow];
        for (var oc = 0; oc < o; oc++)
            for (var oy = 0; oy < oh; oy++)
                for (var ox = 0; ox < ow; ox++)
                {
                    double sum = bias[oc];
                    for (var ic = 0; ic < c; ic++)
                        for (var ky = 0; ky < k; ky++)
                            for (var kx = 0; kx < k; kx++)
                            {
                                var iy = oy * stride + ky - pad;
                                var ix = ox * stride + kx - pad;
                                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                                sum += (double)x[(ic * h + iy) * w + ix] * weight[((oc * c + ic) * k + ky) * k + kx];
                            }
                    y[(oc * oh + oy) * ow + ox] = (float)sum;
                }
        return y;
    }

    public static float[] Relu(float[] x) => x.Select(v => Math.Max(v, 0f)).ToArray();

    /// <summary>Non-overlapping 2×2 max pooling of [C,H,W].</summary>
    public static float[] MaxPool2(float[] x, int c, int h, int w)
    {
        var y = new float[c * (h / 2) * (w / 2)];
        for (var ch = 0; ch < c; ch++)
            for (var oy = 0; oy < h / 2; oy++)
                for (var ox = 0; ox < w / 2; ox++)
                {
                    var m = float.NegativeInfinity;
                    for (var dy = 0; dy < 2; dy++)
                        for (var dx = 0; dx < 2; dx++)
                            m = Math.Max(m, x[(ch * h + oy * 2 + dy) * w + ox * 2 + dx]);
                    y[(ch * (h / 2) + oy) * (w / 2) + ox] = m;
                }
        return y;
    }

    public static float[] GlobalAverage(float[] x, int c, int hw)
    {
        var y = new float[c];
        for (var ch = 0; ch < c; ch++)
        {
            double s = 0;
            for (var i = 0; i < hw; i++) s += x[ch * hw + i];
            y[ch] = (float)(s / hw);
        }
        return y;
    }

    /// <summary>Softmax over each row of a [rows, cols] matrix.</summary>
    public static float[] Softmax(float[] x, int cols)
    {
        var y = new float[x.Length];
        for (var r = 0; r < x.Length / cols; r++)
        {
            var max = double.NegativeInfinity;
            for (var j = 0; j < cols; j++) max = Math.Max(max, x[r * cols + j]);
            double sum = 0;
            for (var j = 0; j < cols; j++) sum += Math.Exp(x[r * cols + j] - max);
            for (var j = 0; j < cols; j++) y[r * cols + j] = (float)(Math.Exp(x[r * cols + j] - max) / sum);
        }
        return y;
    }

    /// <summary>[m,k] × [k,n] + bias[n].</summary>
    public static float[] MatMul(float[] a, float[] b, int m, int k, int n, float[]? bias = null)
    {
        var y = new float[m * n];
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                double s = bias?[j] ?? 0;
                for (var t = 0; t < k; t++) s += (double)a[i * k + t] * b[t * n + j];
                y[i * n + j] = (float)s;
            }
        return y;
    }

    /// <summary>Layer normalisation over the last axis of [rows, cols].</summary>
    public static float[] LayerNorm(float[] x, int cols, float[] scale, float[] bias, float eps)
    {
        var y = new float[x.Length];
        for (var r = 0; r < x.Length / cols; r++)
        {
            double mean = 0, variance = 0;
            for (var j = 0; j < cols; j++) mean += x[r * cols + j];
            mean /= cols;
            for (var j = 0; j < cols; j++) variance += Math.Pow(x[r * cols + j] - mean, 2);
            variance /= cols;
            for (var j = 0; j < cols; j++)
                y[r * cols + j] = (float)((x[r * cols + j] - mean) / Math.Sqrt(variance + eps) * scale[j] + bias[j]);
        }
        return y;
    }

    /// <summary>The small CNN's class probabilities for one image [3,32,32].</summary>
    public static float[] SmallCnnForward(SmallCnn m, float[] image)
    {
        var c1 = Relu(Conv(image, 3, 32, 32, m.Conv1Weight, m.Conv1Bias, SmallCnn.Channels1, 3, 1, 1, out var h1, out var w1));
        var p1 = MaxPool2(c1, SmallCnn.Channels1, h1, w1);
        var c2 = Relu(Conv(p1, SmallCnn.Channels1, h1 / 2, w1 / 2, m.Conv2Weight, m.Conv2Bias, SmallCnn.Channels2, 3, 1, 1, out var h2, out var w2));
        var g = GlobalAverage(c2, SmallCnn.Channels2, h2 * w2);
        var logits = new float[SmallCnn.Classes];
        for (var j = 0; j < logits.Length; j++)
        {
            double s = m.FcBias[j];
            for (var t = 0; t < g.Length; t++) s += (double)g[t] * m.FcWeight[j * g.Length + t];
            logits[j] = (float)s;
        }
        return Softmax(logits, SmallCnn.Classes);
    }

    /// <summary>The ViT block's tokens [16,16] and attention [2,16,16] for one image [3,16,16].</summary>
    public static (float[] Tokens, float[] Attention) VitForward(TinyVisionTransformerBlock m, float[] image)
    {
        const int T = TinyVisionTransformerBlock.Tokens, D = TinyVisionTransformerBlock.Dim;
        const int H = TinyVisionTransformerBlock.Heads, Dh = TinyVisionTransformerBlock.HeadDim;
        var patches = Conv(image, 3, 16, 16, m.PatchWeight, m.PatchBias, D, 4, 4, 0, out _, out _); // [D, T]
        var x0 = new float[T * D];
        for (var t = 0; t < T; t++)
            for (var d = 0; d < D; d++)
                x0[t * D + d] = patches[d * T + t] + m.Position[t * D + d];
        var xn = LayerNorm(x0, D, m.NormScale, m.NormBias, TinyVisionTransformerBlock.Epsilon);
        var q = MatMul(xn, m.Wq, T, D, D, m.Bq);
        var k = MatMul(xn, m.Wk, T, D, D, m.Bk);
        var v = MatMul(xn, m.Wv, T, D, D, m.Bv);
        var attention = new float[H * T * T];
        var ctx = new float[T * D];
        for (var h = 0; h < H; h++)
        {
            var scores = new float[T * T];
            for (var i = 0; i < T; i++)
                for (var j = 0; j < T; j++)
                {
                    double s = 0;
                    for (var e = 0; e < Dh; e++) s += (double)q[i * D + h * Dh + e] * k[j * D + h * Dh + e];
                    scores[i * T + j] = (float)(s / Math.Sqrt(Dh));
                }
            var p = Softmax(scores, T);
            Array.Copy(p, 0, attention, h * T * T, T * T);
            for (var i = 0; i < T; i++)
                for (var e = 0; e < Dh; e++)
                {
                    double s = 0;
                    for (var j = 0; j < T; j++) s += (double)p[i * T + j] * v[j * D + h * Dh + e];
                    ctx[i * D + h * Dh + e] = (float)s;
                }
        }
        var o = MatMul(ctx, m.Wo, T, D, D, m.Bo);
        var tokens = new float[T * D];
        for (var i = 0; i < tokens.Length; i++) tokens[i] = x0[i] + o[i];
        return (tokens, attention);
    }
}
