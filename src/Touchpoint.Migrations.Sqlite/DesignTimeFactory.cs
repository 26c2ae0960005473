using Microsoft.EntityFrameworkCore.Design;
using Touchpoint.Data;

namespace Touchpoint.Migrations.Sqlite;

/// <summary>Lets `dotnet ef migrations add` build the SQLite model without starting the host.</summary>
sealed class DesignTimeFactory : IDesignTimeDbContextFactory<TouchpointDb>
{
    public TouchpointDb CreateDbContext(string[] args) =>
        TouchpointDbOptions.Create(DatabaseProvider.Sqlite, "Data Source=design-time.db");
}
