using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace TusCluster.Protocol.Drafts;

/// <summary>
/// One interop version of the draft and what it defines. The interop version is bumped only for breaking
/// changes, so one number covers several draft revisions (6: -04 and -05; 7: -06 to -08; 8: -09 on).
/// </summary>
internal sealed class DraftInteropVersion
{
    public const int Lowest = 3;
    public const int Highest = 8;

    private static readonly DraftInteropVersion[] Versions =
        [new(3, "-01"), new(4, "-02"), new(5, "-03"), new(6, "-04, -05"), new(7, "-06 to -08"), new(8, "-09 and later")];

    private DraftInteropVersion(int number, string drafts)
    {
        Number = number;
        Drafts = drafts;
    }

    public int Number { get; }

    /// <summary>The draft revisions that use this interop version.</summary>
    public string Drafts { get; }

    /// <summary>Version 3 says the opposite: Upload-Incomplete, true while more requests follow.</summary>
    public bool IncompleteHeader => Number == 3;

    /// <summary>From draft -04: appends must carry application/partial-upload.</summary>
    public string? AppendMediaType => Number >= 6 ? DraftHeaderNames.PartialUpload : null;

    /// <summary>From draft -04: Upload-Limit, problem types for mismatching offsets and completed uploads, RFC 9530 digests.</summary>
    public bool HasLimitsProblemsAndDigests => Number >= 6;

    /// <summary>From draft -06: the inconsistent-upload-length problem type.</summary>
    public bool HasInconsistentLengthProblem => Number >= 7;

    /// <summary>Draft -06 renamed the lifetime limit from "expires" to "max-age".</summary>
    public string LifetimeLimitKey => Number >= 7 ? "max-age" : "expires";

    /// <summary>Drafts -01 to -03 acknowledge every append with 201 Created; later ones with any 2xx.</summary>
    public int AppendStatus => Number <= 5 ? StatusCodes.Status201Created : StatusCodes.Status204NoContent;

    /// <summary>The version a request names (an Integer structured field), or null when it is none we speak.</summary>
    public static DraftInteropVersion? Parse(string? value) =>
        int.TryParse(value?.Trim(' '), NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= Lowest and <= Highest
            ? Versions[number - Lowest]
            : null;

    public override string ToString() => Number.ToString(CultureInfo.InvariantCulture);
}
