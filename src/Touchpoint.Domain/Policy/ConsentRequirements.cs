using Touchpoint.Domain.Vocabulary;

namespace Touchpoint.Domain.Policy;

/// <summary>Where an unknown consent is not enough (prior express consent required). See docs/policy.md.</summary>
public static class ConsentRequirements
{
    public static bool RequiresPriorExpressConsent(Channel channel, MessagePurpose purpose) => channel switch
    {
        // RVM is a prerecorded call (FCC 2022 ruling, TCPA 227(b)); WhatsApp Business policy requires opt-in
        // before a business starts a conversation: both for every purpose.
        Channel.Rvm or Channel.Whatsapp => true,
        // TCPA / CTIA: marketing texts and prerecorded or autodialed marketing calls need prior express
        // (written) consent; a reply to the recipient's own message does not.
        Channel.Sms or Channel.Imessage or Channel.Call or Channel.Voicemail => purpose == MessagePurpose.Marketing,
        // CAN-SPAM is opt-out based; Instagram/Messenger messages are replies inside the platform's window.
        _ => false,
    };
}
