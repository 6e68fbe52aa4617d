namespace TusCluster.Storage.Contract;

/// <summary>Describe names the store's type and where each upload's bytes are, in tusd's terms.</summary>
public abstract class DescribeContract(StoreUnderTest target) : UploadStoreContract(target)
{
    [Fact]
    public async Task Each_upload_is_described_by_its_own_location()
    {
        var first = await Driver.UploadAsync(RandomBytes(10, seed: 70));
        var second = await Driver.CreateAsync(10);

        var described = Store.Describe(first);

        Assert.Equal(Target.StorageType, described["Type"]);
        Assert.Contains(described.Values, value => value.Contains(first.Id, StringComparison.Ordinal));
        Assert.NotEqual(described.OrderBy(p => p.Key), Store.Describe(second).OrderBy(p => p.Key));
    }
}
