using Vigil.Models.OnnxBuilder;

namespace Vigil.Models.Tests.OnnxBuilder;

public sealed class OnnxModelBuilderTests
{
    private static byte[] Identity() =>
        new OnnxModelBuilder("g", opsetVersion: 13)
            .Input("x", OnnxDataType.Float, "N", 3)
            .Initializer("w", [3], [1f, 2f, 3f])
            .Node("Mul", ["x", "w"], ["y"])
            .Output("y", OnnxDataType.Float, "N", 3)
            .Build();

    [Fact]
    public void Build_SimpleGraph_WritesModelProtoFieldsFromTheOnnxSpecification()
    {
        var model = ProtoFields.Parse(Identity());

        Assert.Equal(8UL, model.One(1).Varint);                  // ir_version
        Assert.Equal("Vigil.OnnxBuilder", model.One(2).Text());   // producer_name
        var opset = ProtoFields.Parse(model.One(8).Bytes);        // opset_import
        Assert.Equal(13UL, opset.One(2).Varint);
        var graph = ProtoFields.Parse(model.One(7).Bytes);
        Assert.Equal("g", graph.One(2).Text());
        var node = ProtoFields.Parse(graph.One(1).Bytes);
        Assert.Equal("Mul", node.One(4).Text());
        Assert.Equal(["x", "w"], node.Where(f => f.Number == 1).Select(f => f.Text()));
        Assert.Equal("y", node.One(2).Text());
    }

    [Fact]
    public void Build_SymbolicAndFixedDims_WritesDimParamAndDimValue()
    {
        var graph = ProtoFields.Parse(ProtoFields.Parse(Identity()).One(7).Bytes);
        var input = ProtoFields.Parse(graph.One(11).Bytes);
        Assert.Equal("x", input.One(1).Text());
        var tensorType = ProtoFields.Parse(ProtoFields.Parse(input.One(2).Bytes).One(1).Bytes);
        Assert.Equal((ulong)OnnxDataType.Float, tensorType.One(1).Varint);
        var dims = ProtoFields.Parse(tensorType.One(2).Bytes).Where(f => f.Number == 1).Select(f => ProtoFields.Parse(f.Bytes)).ToList();
        Assert.Equal("N", dims[0].One(2).Text());
        Assert.Equal(3UL, dims[1].One(1).Varint);
    }

    [Fact]
    public void Build_FloatInitializer_StoresLittleEndianRawData()
    {
        var graph = ProtoFields.Parse(ProtoFields.Parse(Identity()).One(7).Bytes);
        var tensor = ProtoFields.Parse(graph.One(5).Bytes);
        Assert.Equal("w", tensor.One(8).Text());
        Assert.Equal((ulong)OnnxDataType.Float, tensor.One(2).Varint);
        var raw = tensor.One(9).Bytes;
        Assert.Equal(new[] { 1f, 2f, 3f }, Enumerable.Range(0, 3).Select(i => BitConverter.ToSingle(raw, i * 4)));
    }

    [Fact]
    public void Node_InputNotDefined_ThrowsNamingTheValue()
    {
        var b = new OnnxModelBuilder("g").Input("x", OnnxDataType.Float, 1);
        var e = Assert.Throws<InvalidOperationException>(() => b.Node("Add", ["x", "typo"], ["y"]));
        Assert.Contains("'typo'", e.Message);
    }

    [Fact]
    public void Build_OutputNeverProduced_ThrowsNamingTheOutput()
    {
        var b = new OnnxModelBuilder("g").Input("x", OnnxDataType.Float, 1).Output("missing", OnnxDataType.Float, 1);
        var e = Assert.Throws<InvalidOperationException>(() => b.Build());
        Assert.Contains("'missing'", e.Message);
    }

    [Fact]
    public void Initializer_CountDisagreesWithShape_Throws()
    {
        var b = new OnnxModelBuilder("g");
        var e = Assert.Throws<ArgumentException>(() => b.Initializer("w", [2, 2], [1f, 2f, 3f]));
        Assert.Contains("'w'", e.Message);
    }

    [Fact]
    public void ToOnnx_SameSeed_IsByteIdentical()
    {
        Assert.Equal(new SmallCnn().ToOnnx(), new SmallCnn().ToOnnx());
        Assert.NotEqual(new SmallCnn(1).ToOnnx(), new SmallCnn(2).ToOnnx());
        Assert.Equal(new TinyVisionTransformerBlock().ToOnnx(), new TinyVisionTransformerBlock().ToOnnx());
    }
}
