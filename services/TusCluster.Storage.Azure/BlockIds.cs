using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace TusCluster.Storage.Azure;

/// <summary>
/// Block ids: <c>{nonce}-{fence}-{index}</c>, base64, all of one length as Azure requires within a blob.
/// The fence keeps every writer's blocks apart from every other writer's, the nonce keeps two chunks of
/// one writer apart, and the index is the block's place in the upload. Nonces are 8 characters: random
/// hex for staged chunks, fixed words for the blocks a finisher or assembler stages (repeating those
/// stages the same bytes under the same id).
/// </summary>
internal static class BlockIds
{
    /// <summary>The last block of an upload, made from its tail at completion.</summary>
    public const string TailNonce = "tailpart";

    /// <summary>Blocks of a final upload, copied from its partials.</summary>
    public const string ConcatenationNonce = "concaten";

    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public static string Of(string nonce, long fence, int index)
    {
        if (nonce.Length != 8 || fence < 0 || index is < 0 or >= 100_000)
        {
            throw new ArgumentOutOfRangeException(nameof(nonce), $"No block id for nonce '{nonce}', fence {fence}, index {index}.");
        }

        return Convert.ToBase64String(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{nonce}-{fence:D19}-{index:D5}")));
    }
}
