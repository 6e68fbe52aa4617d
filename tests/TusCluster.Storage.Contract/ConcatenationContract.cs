using TusCluster.Protocol.Uploads;

namespace TusCluster.Storage.Contract;

/// <summary>A final upload holds its partials' bytes in order; the partials stay readable.</summary>
public abstract class ConcatenationContract(StoreUnderTest target) : UploadStoreContract(target)
{
    [Fact]
    public async Task Partials_of_every_size_concatenate_in_order()
    {
        byte[][] contents = [RandomBytes(Block + 3, seed: 50), [], RandomBytes(1, seed: 51), RandomBytes(Block, seed: 52), RandomBytes(17, seed: 53)];
        var partials = new List<UploadRecord>();
        foreach (var content in contents)
        {
            partials.Add(await Driver.UploadAsync(content, kind: UploadKind.Partial));
        }

        var final = await Driver.ConcatenateAsync(partials, "filetype dGV4dC9wbGFpbg==");

        byte[] expected = [.. contents.SelectMany(c => c)];
        Assert.Equal(expected, await Driver.ReadAsync(final));
        Assert.Equal(expected[(Block - 2)..(Block + 8)], await Driver.ReadAsync(final, Block - 2, 10));
        for (var i = 0; i < contents.Length; i++)
        {
            Assert.Equal(contents[i], await Driver.ReadAsync(partials[i]));
        }
    }

    [Fact]
    public async Task Empty_partials_give_an_empty_final_upload()
    {
        var final = await Driver.ConcatenateAsync([await Driver.UploadAsync([], kind: UploadKind.Partial), await Driver.UploadAsync([], kind: UploadKind.Partial)]);

        Assert.Empty(await Driver.ReadAsync(final));
    }

    [Fact]
    public async Task Concatenating_again_after_a_crash_gives_the_same_content()
    {
        byte[][] contents = [RandomBytes(Block + 1, seed: 54), RandomBytes(99, seed: 55)];
        var partials = new List<UploadRecord>();
        foreach (var content in contents)
        {
            partials.Add(await Driver.UploadAsync(content, kind: UploadKind.Partial));
        }

        // The first assembler wrote the final upload and died before committing; the next one repeats it.
        var final = await Driver.CreateAsync(null, null, UploadKind.Final) with { PartialIds = [.. partials.Select(p => p.Id)] };
        await Store.ConcatenateAsync(final, partials, Ct);
        var state = await Store.ConcatenateAsync(final, partials, Ct);
        var length = contents.Sum(c => c.Length);

        var read = await Driver.ReadAsync(final with { Length = length, Offset = length, Status = UploadStatus.Finished, StoreState = state });
        Assert.Equal([.. contents.SelectMany(c => c)], read);
    }
}
