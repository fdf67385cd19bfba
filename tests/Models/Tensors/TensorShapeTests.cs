using Vigil.Models.Tensors;

namespace Vigil.Models.Tests.Tensors;

public sealed class TensorShapeTests
{
    [Fact]
    public void ElementCount_Dimensions_IsProduct()
    {
        Assert.Equal(230400, new TensorShape(1, 3, 240, 320).ElementCount);
        Assert.Equal(1, TensorShape.Scalar.ElementCount);
        Assert.Equal(0, new TensorShape(2, 0, 5).ElementCount);
    }

    [Fact]
    public void Equality_SameDimensions_EqualWithSameHash()
    {
        var a = new TensorShape(1, 136);
        var b = new TensorShape(1L, 136L);
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new TensorShape(136, 1));
    }

    [Fact]
    public void Constructor_NegativeDimension_Throws()
    {
        var e = Assert.Throws<ArgumentException>(() => new TensorShape(1, -1));
        Assert.Contains("[1,-1]", e.Message);
    }

    [Fact]
    public void WithBatch_ReplacesFirstDimension()
    {
        Assert.Equal("[3,3,112,112]", new TensorShape(1, 3, 112, 112).WithBatch(3).ToString());
        Assert.Throws<InvalidOperationException>(() => TensorShape.Scalar.WithBatch(2));
    }

    [Fact]
    public void ElementTypes_ClrTypes_MapToOnnxCodes()
    {
        Assert.Equal(TensorElementType.Float32, TensorElementTypes.Of<float>());
        Assert.Equal(TensorElementType.Float16, TensorElementTypes.Of<Half>());
        Assert.Equal(TensorElementType.Int64, TensorElementTypes.Of<long>());
        Assert.Equal(TensorElementType.Int32, TensorElementTypes.Of<int>());
        Assert.Equal(TensorElementType.UInt8, TensorElementTypes.Of<byte>());
        Assert.Equal(TensorElementType.Bool, TensorElementTypes.Of<bool>());
        Assert.Equal(1, (int)TensorElementType.Float32);
        Assert.Equal(10, (int)TensorElementType.Float16);
        Assert.Equal(2, TensorElementTypes.SizeOf(TensorElementType.Float16));
        Assert.Equal(1, TensorElementTypes.SizeOf(TensorElementType.Bool));
        Assert.Equal(typeof(Half), TensorElementTypes.ClrTypeOf(TensorElementType.Float16));
        Assert.Null(TensorElementTypes.ClrTypeOf(TensorElementType.String));
    }

    [Fact]
    public void Factory_UnsupportedType_ReturnsNull_SupportedAllocates()
    {
        Assert.Null(TensorFactory.Allocate(TensorElementType.String, new TensorShape(1)));
        using var t = TensorFactory.Allocate(TensorElementType.Int64, new TensorShape(2, 2))!;
        Assert.IsType<DenseTensor<long>>(t);
        Assert.Equal(new TensorShape(2, 2), t.Shape);
    }
}
