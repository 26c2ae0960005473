using Touchpoint.Data.Entities;
using Touchpoint.Domain.Crm;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Crm.Boards;

public sealed record ColumnRequest(string? Name, string? Mode, CrmConfig? Config, int? Position)
{
    public void Validate(string prefix, FieldErrors errors, bool partial)
    {
        if (!partial) errors.Required($"{prefix}name", Name);
        if ((Mode is not null || !partial) && !WireName.TryParse<ColumnMode>(Mode, out _))
            errors.Add($"{prefix}mode", $"must be one of {string.Join(", ", WireName.All<ColumnMode>())}.");
        foreach (var (field, message) in Config?.Validate($"{prefix}config") ?? []) errors.Add(field, message);
    }
}

public sealed record CreateBoardRequest(string? Name, List<ColumnRequest>? Columns)
{
    public FieldErrors Validate()
    {
        var errors = new FieldErrors();
        errors.Required("name", Name);
        for (var i = 0; i < (Columns?.Count ?? 0); i++) Columns![i].Validate($"columns[{i}].", errors, partial: false);
        return errors;
    }
}

public sealed record ColumnView(Guid Id, Guid BoardId, string Name, int Position, ColumnMode Mode, CrmConfig Config, int CardCount)
{
    public static ColumnView From(BoardColumn c, int cards) =>
        new(c.Id, c.BoardId, c.Name, c.Position, c.Mode, CrmConfig.Parse(c.ConfigJson), cards);
}

public sealed record BoardView(Guid Id, string Name, bool IsDefault, int CardCount, List<ColumnView> Columns);

public sealed record BoardList(List<BoardView> Boards);
