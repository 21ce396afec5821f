using LogTools.Engine.Store;

namespace LogTools.Engine.Tests.Store;

/// <summary>The oldest supported server, checked on the version a server reports when a connection opens (no server this old is installed here).</summary>
public sealed class PostgresServerVersionTests
{
    [Theory]
    [InlineData(12, 17)]
    [InlineData(9, 6)]
    public void A_server_older_than_13_is_refused_with_StoreServerTooOld_naming_the_server_and_both_versions(int major, int minor)
    {
        var error = Assert.Throws<LogToolsException>(() => PostgresStoreDatabase.RequireSupportedServer(new Version(major, minor), "postgres://logtools@db1:5432/logtools"));

        Assert.Equal("StoreServerTooOld", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidOperation, error.Kind);
        Assert.Equal("postgres://logtools@db1:5432/logtools", error.Target);
        Assert.Contains($"is version {major}.{minor}; LogTools needs 13 or newer", error.Message);
        Assert.Contains("'postgres://logtools@db1:5432/logtools'", error.Message);
    }

    [Theory]
    [InlineData(13, 0)]
    [InlineData(15, 4)]
    [InlineData(17, 2)]
    public void A_server_of_13_or_newer_is_accepted(int major, int minor) =>
        PostgresStoreDatabase.RequireSupportedServer(new Version(major, minor), "postgres://logtools@db1:5432/logtools");
}
