using Vigil.WardConsole.Storage;

namespace Vigil.WardConsole.Tests;

public sealed class StoreStartupTests
{
    [Theory]
    [InlineData("postgresql", "Host=127.0.0.1;Port=1;Username=vigil;Password=s3cret-pw;Database=nowhere;Timeout=2", "Console:Storage: cannot open the postgresql store at 127.0.0.1:1/nowhere:")]
    [InlineData("postgresql", "Host=127.0.0.1;Bogus Key=1", "Console:Storage:ConnectionString is not a PostgreSQL connection string")]
    [InlineData("postgresql", null, "Console:Storage:ConnectionString is required for the postgresql provider")]
    [InlineData("sqlite", "Data Source=/nonexistent-vigil-dir/x/store.db", "Console:Storage: cannot open the sqlite store '/nonexistent-vigil-dir/x/store.db'")]
    [InlineData("mysql", null, "Console:Storage:Provider must be sqlite or postgresql, got 'mysql'")]
    public void A_store_that_cannot_be_opened_stops_start_up_with_one_line_naming_it(string provider, string? connection, string expected)
    {
        var e = Assert.Throws<WardStoreException>(() => ConsoleApp.Create(o =>
        {
            o.Port = 0;
            o.Storage = new StorageOptions { Provider = provider, ConnectionString = connection };
            o.ApiKeys = [new Security.ApiKeyEntry { Name = "n", Role = Security.WardRole.Admin, Sha256 = Security.ApiKeyStore.Hash("k") }];
        }));
        Assert.StartsWith(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain("s3cret-pw", e.Message);
    }
}
