namespace TusCluster.Protocol.Drafts;

/// <summary>A request that speaks the draft, as read by <see cref="DraftRequestTranslator"/>; kept on its features.</summary>
/// <param name="Version">The interop version the request names.</param>
/// <param name="Complete">What the request says about completeness: null when it says nothing valid.</param>
/// <param name="HasBody">The request carries content (a length above zero, or chunked).</param>
internal sealed record DraftExchange(DraftInteropVersion Version, bool? Complete, bool HasBody);
