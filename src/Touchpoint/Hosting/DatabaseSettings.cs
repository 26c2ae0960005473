using Microsoft.Data.Sqlite;
using Npgsql;
using Touchpoint.Data;

namespace Touchpoint.Hosting;

/// <summary>The store chosen by configuration, validated before anything starts.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, bool AutoMigrate)
{
    public static DatabaseSettings From(IConfiguration config)
    {
        var providerText = config["Database:Provider"] ?? "Sqlite";
        if (!Enum.TryParse<DatabaseProvider>(providerText, ignoreCase: true, out var provider) || !Enum.IsDefined(provider))
            throw new ConfigurationException($"Database:Provider '{providerText}' is unknown; use Sqlite or Postgres.");

        var connectionString = provider == DatabaseProvider.Sqlite
            ? config.GetConnectionString("Sqlite") is { Length: > 0 } s ? s : "Data Source=data/touchpoint.db"
            : config.GetConnectionString("Postgres") ?? "";
        if (provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(connectionString))
            throw new ConfigurationException("ConnectionStrings:Postgres is empty; set it when Database:Provider is Postgres.");

        try
        {
            connectionString = provider == DatabaseProvider.Sqlite
                ? NormalizeSqlite(connectionString)
                : new NpgsqlConnectionStringBuilder(connectionString).ConnectionString;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw new ConfigurationException($"ConnectionStrings:{provider} is not a valid connection string: {e.Message}");
        }

        // SQLite is the zero-setup default, so it migrates itself; PostgreSQL is shared and needs an explicit choice.
        var autoMigrate = config.GetValue<bool?>("Database:AutoMigrate") ?? provider == DatabaseProvider.Sqlite;
        return new DatabaseSettings(provider, connectionString, autoMigrate);
    }

    static string NormalizeSqlite(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.DataSource))
            throw new ArgumentException("Data Source is missing.");
        if (builder.DataSource != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            var path = Path.GetFullPath(builder.DataSource);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            builder.DataSource = path;
        }
        builder.Pooling = true;
        builder.DefaultTimeout = 30;
        return builder.ConnectionString;
    }

    public string Describe()
    {
        if (Provider == DatabaseProvider.Sqlite)
            return $"SQLite at {new SqliteConnectionStringBuilder(ConnectionString).DataSource}";
        var b = new NpgsqlConnectionStringBuilder(ConnectionString);
        return $"PostgreSQL at {b.Host}:{b.Port}/{b.Database}";
    }
}

/// <summary>A configuration mistake the operator must fix; reported as one line, never a stack trace.</summary>
public sealed class ConfigurationException(string message) : Exception(message);
