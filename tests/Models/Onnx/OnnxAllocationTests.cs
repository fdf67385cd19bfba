using Vigil.Models.Onnx;
using Vigil.Models.Tensors;

namespace Vigil.Models.Tests.Onnx;

/// <summary>The run path's managed allocations per call stay small (names cached, pointer arrays on the stack).</summary>
public sealed class OnnxAllocationTests
{
    [Fact]
    public void Run_TinyModelRepeatedly_AllocatesUnder2KBPerCall()
    {
        var testCase = NodeTestCase.Load("test_matmul_4d");
        using var session = OnnxSession.Load(testCase.ModelPath, new OnnxSessionOptions { IntraOpThreads = 1 });
        var inputs = testCase.NamedInputs(session);
        for (var i = 0; i < 50; i++) session.Run(inputs).Dispose();

        const int calls = 500;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < calls; i++) session.Run(inputs).Dispose();
        var perCall = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)calls;
        Assert.True(perCall < 2048, $"{perCall:F0} bytes allocated per Run");
    }
}
