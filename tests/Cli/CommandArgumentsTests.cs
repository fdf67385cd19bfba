using Vigil.Cli;

namespace Vigil.Cli.Tests;

public sealed class CommandArgumentsTests
{
    [Fact]
    public void Parse_OptionsFlagsAndPositionals_AreSeparated()
    {
        var a = new CommandArguments(new[] { "eval", "--data", "dir", "--json", "--out=x.csv", "extra" }, "json");
        Assert.Equal(new[] { "eval", "extra" }, a.Positional);
        Assert.Equal("dir", a.Require("data"));
        Assert.Equal("x.csv", a.Get("out"));
        Assert.True(a.Flag("json"));
        a.RejectUnknown();
    }

    [Fact]
    public void RejectUnknown_OptionNotRead_ThrowsNamingIt()
    {
        var a = new CommandArguments(new[] { "--streams", "5", "--sconds", "3" });
        Assert.Equal(5, a.GetInt("streams", 1));
        var e = Assert.Throws<CommandLineException>(a.RejectUnknown);
        Assert.Contains("--sconds", e.Message);
    }

    [Fact]
    public void GetInt_NotANumber_ThrowsNamingOptionAndValue()
    {
        var a = new CommandArguments(new[] { "--streams", "many" });
        var e = Assert.Throws<CommandLineException>(() => a.GetInt("streams", 1));
        Assert.Contains("--streams", e.Message);
        Assert.Contains("many", e.Message);
    }

    [Fact]
    public void Parse_OptionWithoutValue_Throws()
    {
        Assert.Throws<CommandLineException>(() => new CommandArguments(new[] { "--data" }));
    }
}
