using Vigil.Models.Tensors;

namespace Vigil.Models.Tests.Tensors;

public sealed class DenseTensorTests
{
    [Fact]
    public void Wrap_CallerArray_SharesMemoryWithoutCopy()
    {
        var data = new float[6];
        using var t = DenseTensor<float>.Wrap(data, 2, 3);
        t.Span[4] = 9;
        data[1] = 5;
        Assert.Equal(9, data[4]);
        Assert.Equal(5, t[1]);
        Assert.False(t.OwnsBuffer);
        Assert.Equal(TensorElementType.Float32, t.ElementType);
        Assert.Equal(24, t.ByteLength);
    }

    [Fact]
    public void Wrap_LengthNotMatchingShape_ThrowsNamingShape()
    {
        var e = Assert.Throws<ArgumentException>(() => DenseTensor<float>.Wrap(new float[5], 2, 3));
        Assert.Contains("[2,3]", e.Message);
    }

    [Fact]
    public void Dispose_WrappedTensor_LeavesCallerMemoryUsable()
    {
        var data = new[] { 1L, 2L };
        var t = DenseTensor<long>.Wrap(data, 2);
        t.Dispose();
        Assert.Equal([1L, 2L], data);
        Assert.Throws<ObjectDisposedException>(() => t.Span.Length);
    }

    [Fact]
    public void Allocate_Pooled_IsClearedOwnedAndRejectsUseAfterDispose()
    {
        var t = DenseTensor<int>.Allocate(new TensorShape(3, 4));
        Assert.True(t.OwnsBuffer);
        Assert.Equal(12, t.Span.Length);
        Assert.All(t.ToArray(), v => Assert.Equal(0, v));
        t.Dispose();
        t.Dispose(); // idempotent
        Assert.Throws<ObjectDisposedException>(() => t.Memory);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(17)]
    [InlineData(230400)]
    public unsafe void Allocate_AnySize_DataIs64ByteAligned(int length)
    {
        using var f = DenseTensor<float>.Allocate(new TensorShape(length));
        using var b = DenseTensor<byte>.Allocate(new TensorShape(length));
        using var pf = f.Pin();
        using var pb = b.Pin();
        Assert.Equal(0, (long)pf.Pointer % 64);
        Assert.Equal(0, (long)pb.Pointer % 64);
        fixed (float* direct = f.Span) Assert.Equal((long)pf.Pointer, (long)direct);
    }

    [Fact]
    public void Allocate_AfterDisposeOfSameSize_ReusesAndClears()
    {
        var first = DenseTensor<int>.Allocate(new TensorShape(100));
        first.Span.Fill(7);
        first.Dispose();
        using var second = DenseTensor<int>.Allocate(new TensorShape(100));
        Assert.All(second.ToArray(), v => Assert.Equal(0, v));
    }

    [Fact]
    public void CopyOf_Data_IsIndependentOfSource()
    {
        var src = new byte[] { 1, 2, 3 };
        using var t = DenseTensor<byte>.CopyOf(src, new TensorShape(3));
        src[0] = 42;
        Assert.Equal([1, 2, 3], t.ToArray());
    }

    [Fact]
    public void As_WrongElementType_ThrowsNamingBothTypes()
    {
        using var t = DenseTensor<Half>.Allocate(new TensorShape(2));
        Tensor untyped = t;
        Assert.Same(t, untyped.As<Half>());
        var e = Assert.Throws<InvalidCastException>(() => untyped.As<float>());
        Assert.Contains("float16", e.Message);
        Assert.Contains("float32", e.Message);
    }

    [Fact]
    public void AsBytes_Int32_IsLittleEndianRowMajor()
    {
        using var t = DenseTensor<int>.Wrap([1, 256], 2);
        Assert.Equal([1, 0, 0, 0, 0, 1, 0, 0], t.AsBytes().ToArray());
    }

    [Fact]
    public void Pin_Tensor_GivesStablePointerToData()
    {
        using var t = DenseTensor<float>.Wrap([3f, 4f], 2);
        using var pin = t.Pin();
        unsafe { Assert.Equal(4f, ((float*)pin.Pointer)[1]); }
    }
}
