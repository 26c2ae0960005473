using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Touchpoint.Auth;
using Touchpoint.Data;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Crm.Boards;

public static class BoardsApi
{
    public static RouteGroupBuilder MapBoardsApi(this IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/boards").WithTags("CRM").RequireAuthorization(ApiKeyAuthentication.WorkspacePolicy);
        g.MapPost("/", CreateBoard).WithName("CreateBoard");
        g.MapGet("/", ListBoards).WithName("ListBoards");
        g.MapGet("/{id:guid}", GetBoard).WithName("GetBoard").ProducesProblem(404);
        g.MapPost("/{id:guid}/columns", AddColumn).WithName("AddColumn").ProducesProblem(404);
        g.MapPatch("/{id:guid}/columns/{columnId:guid}", UpdateColumn).WithName("UpdateColumn").ProducesProblem(404);
        return g;
    }

    static async Task<Results<Created<BoardView>, ValidationProblem>> CreateBoard(CreateBoardRequest body, HttpContext http,
        BoardService boards, CancellationToken ct)
    {
        if (body.Validate() is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        var ws = http.User.WorkspaceId();
        var board = await boards.CreateAsync(ws, body.Name!, body.Columns ?? [], ct);
        var view = (await boards.ListAsync(ws, board.Id, ct)).Single();
        return TypedResults.Created($"/api/v1/boards/{board.Id}", view);
    }

    static async Task<Ok<BoardList>> ListBoards(HttpContext http, BoardService boards, CancellationToken ct) =>
        TypedResults.Ok(new BoardList(await boards.ListAsync(http.User.WorkspaceId(), null, ct)));

    static async Task<Results<Ok<BoardView>, ProblemHttpResult>> GetBoard(Guid id, HttpContext http, BoardService boards, CancellationToken ct) =>
        (await boards.ListAsync(http.User.WorkspaceId(), id, ct)).SingleOrDefault() is { } view
            ? TypedResults.Ok(view) : TypedResults.Problem($"Board {id} not found.", statusCode: 404);

    static async Task<Results<Created<ColumnView>, ValidationProblem, ProblemHttpResult>> AddColumn(Guid id, ColumnRequest body,
        BoardService boards, CancellationToken ct)
    {
        var errors = new FieldErrors();
        body.Validate("", errors, partial: false);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var column = await boards.AddColumnAsync(id, body, ct);
        return column is null ? TypedResults.Problem($"Board {id} not found.", statusCode: 404)
            : TypedResults.Created($"/api/v1/boards/{id}/columns/{column.Id}", ColumnView.From(column, 0));
    }

    static async Task<Results<Ok<ColumnView>, ValidationProblem, ProblemHttpResult>> UpdateColumn(Guid id, Guid columnId,
        ColumnRequest body, BoardService boards, TouchpointDb db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        body.Validate("", errors, partial: true);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (!await db.BoardColumns.AnyAsync(c => c.Id == columnId && c.BoardId == id, ct))
            return TypedResults.Problem($"Column {columnId} not found on board {id}.", statusCode: 404);
        var column = (await boards.UpdateColumnAsync(columnId, body, ct))!;
        var cards = await db.Conversations.CountAsync(c => c.ColumnId == columnId && c.Status != Domain.Vocabulary.ConversationStatus.Closed, ct);
        return TypedResults.Ok(ColumnView.From(column, cards));
    }
}
