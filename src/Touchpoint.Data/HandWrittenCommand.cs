using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Touchpoint.Data;

public static class HandWrittenCommand
{
    /// <summary>A command on the context's connection, enlisted in its current transaction (if any), for hand-written SQL.</summary>
    public static DbCommand CreateCommandInTransaction(this DatabaseFacade database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var command = database.GetDbConnection().CreateCommand();
        command.Transaction = database.CurrentTransaction?.GetDbTransaction();
        return command;
    }
}
