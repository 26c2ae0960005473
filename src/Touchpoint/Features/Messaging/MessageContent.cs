using Microsoft.EntityFrameworkCore;
using Touchpoint.Data;
using Touchpoint.Data.Entities;
using Touchpoint.Domain.Vocabulary;
using Touchpoint.Features.Shared;

namespace Touchpoint.Features.Messaging;

/// <summary>The rendered words of one message.</summary>
public sealed record MessageContent(string Body, string? Subject)
{
    /// <summary>
    /// Picks the text (inline body or the workspace template named by <c>templateKey</c>) and renders it against
    /// the contact, workspace and request variables. Null with <paramref name="errors"/> filled when it cannot.
    /// </summary>
    public static async Task<MessageContent?> ResolveAsync(TouchpointDb db, SendCommand command, Contact contact,
        Workspace workspace, FieldErrors errors, CancellationToken ct)
    {
        var template = command.TemplateKey is { } key ? await FindTemplateAsync(db, command.WorkspaceId, key, ct) : null;
        return Resolve(command, contact, workspace, template, errors);
    }

    public static Task<MessageTemplate?> FindTemplateAsync(TouchpointDb db, Guid workspaceId, string key, CancellationToken ct) =>
        db.MessageTemplates.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(t => t.WorkspaceId == workspaceId && t.Key == key, ct);

    /// <summary>As <see cref="ResolveAsync"/> with the template named by <c>templateKey</c> already looked up (null: none such).</summary>
    public static MessageContent? Resolve(SendCommand command, Contact contact, Workspace workspace, MessageTemplate? template, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(errors);
        string? body = command.Body, subject = command.Subject;
        if (command.TemplateKey is { } key)
        {
            if (template is null)
            {
                errors.Add("templateKey", $"no template '{key}' in this workspace.");
                return null;
            }
            if (template.Channel is { } only && only != command.Channel)
            {
                errors.Add("templateKey", $"template '{key}' is for {WireName.Of(only)}, not {WireName.Of(command.Channel)}.");
                return null;
            }
            body ??= template.Body;
            subject ??= template.Subject;
        }
        if (string.IsNullOrWhiteSpace(body))
        {
            errors.Add("body", "is required unless templateKey names a template.");
            return null;
        }

        var model = MessageModel.For(contact, workspace, command.Variables);
        var renderedBody = TemplateRenderer.Render(body, model);
        if (!renderedBody.Succeeded) errors.Add(command.TemplateKey is null ? "body" : "templateKey", renderedBody.Error!);
        RenderResult? renderedSubject = null;
        if (command.Channel == Channel.Email)
        {
            renderedSubject = TemplateRenderer.Render(subject ?? workspace.Name, model);
            if (!renderedSubject.Succeeded) errors.Add("subject", renderedSubject.Error!);
        }
        if (errors.Count > 0) return null;
        return new MessageContent(renderedBody.Text!, renderedSubject?.Text);
    }
}

/// <summary>
/// What a template may refer to: <c>contact.*</c>, <c>workspace.*</c> and the request's own variables at the
/// top level (they never shadow <c>contact</c>/<c>workspace</c>). Documented in docs/messages.md.
/// </summary>
public static class MessageModel
{
    public static IReadOnlyDictionary<string, object?> For(Contact contact, Workspace workspace, System.Text.Json.Nodes.JsonObject? variables)
    {
        var model = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, value) in variables ?? []) model[name] = TemplateRenderer.FromJson(value);
        var attributes = TemplateRenderer.FromJson(System.Text.Json.Nodes.JsonNode.Parse(contact.AttributesJson));
        model["contact"] = new Dictionary<string, object?>
        {
            ["id"] = contact.Id.ToString(),
            ["externalId"] = contact.ExternalId,
            ["firstName"] = contact.FirstName,
            ["lastName"] = contact.LastName,
            ["fullName"] = string.Join(' ', new[] { contact.FirstName, contact.LastName }.Where(n => !string.IsNullOrWhiteSpace(n))),
            ["timezone"] = contact.Timezone,
            ["tags"] = contact.Tags.ToList(),
            ["attributes"] = attributes ?? new Dictionary<string, object?>(),
        };
        model["workspace"] = new Dictionary<string, object?> { ["name"] = workspace.Name, ["timezone"] = workspace.Timezone };
        return model;
    }
}
