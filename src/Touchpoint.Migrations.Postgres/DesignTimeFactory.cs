using Microsoft.EntityFrameworkCore.Design;
using Touchpoint.Data;

namespace Touchpoint.Migrations.Postgres;

/// <summary>Lets `dotnet ef migrations add` build the PostgreSQL model without a server.</summary>
sealed class DesignTimeFactory : IDesignTimeDbContextFactory<TouchpointDb>
{
    public TouchpointDb CreateDbContext(string[] args) =>
        TouchpointDbOptions.Create(DatabaseProvider.Postgres, "Host=localhost;Database=touchpoint_design");
}
