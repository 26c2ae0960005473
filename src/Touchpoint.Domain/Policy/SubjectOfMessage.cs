namespace Touchpoint.Domain.Policy;

/// <summary>
/// "Same subject matter" for the state 3-per-24 h rules: an explicit subject key when the caller has one,
/// else the campaign. A touch's subject is read the same way, so a campaign's touches share its subject.
/// </summary>
readonly record struct SubjectOfMessage(string? Key, Guid? CampaignId)
{
    public bool IsNone => Key is null && CampaignId is null;

    public bool Matches(RecentTouch touch)
    {
        if (Key is not null)
            return touch.SubjectKey is not null
                ? string.Equals(touch.SubjectKey, Key, StringComparison.Ordinal)
                : touch.CampaignId is { } id && Guid.TryParse(Key, out var keyId) && keyId == id;
        return touch.SubjectKey is null
            ? touch.CampaignId is { } touchCampaign && touchCampaign == CampaignId
            : Guid.TryParse(touch.SubjectKey, out var touchKey) && touchKey == CampaignId;
    }
}
