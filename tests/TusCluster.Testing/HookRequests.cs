using System.Text.Json;

namespace TusCluster.Testing;

/// <summary>Reads what a hook receiver was sent, in tusd's JSON.</summary>
public static class HookRequests
{
    public static string Type(this ReceivedHook hook) => hook.Json().RootElement.GetProperty("Type").GetString()!;

    public static string EventId(this ReceivedHook hook) => hook.Json().RootElement.GetProperty("EventId").GetString()!;

    public static JsonElement Upload(this ReceivedHook hook) => hook.Json().RootElement.GetProperty("Event").GetProperty("Upload").Clone();

    public static JsonElement Request(this ReceivedHook hook) => hook.Json().RootElement.GetProperty("Event").GetProperty("HTTPRequest").Clone();

    public static string UploadId(this ReceivedHook hook) => hook.Upload().GetProperty("ID").GetString()!;

    public static IReadOnlyList<ReceivedHook> OfType(this HookReceiver receiver, string type) =>
        [.. receiver.Requests().Where(r => r.Type() == type)];
}
