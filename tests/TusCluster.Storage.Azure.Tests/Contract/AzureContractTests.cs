using TusCluster.Storage.Contract;

namespace TusCluster.Storage.Azure.Tests.Contract;

public sealed class AzureChunkingTests(AzuriteFixture azurite) : ChunkingContract(new AzureStoreUnderTest(azurite));

public sealed class AzureFencingContractTests(AzuriteFixture azurite) : FencingContract(new AzureStoreUnderTest(azurite));

public sealed class AzureRangeReadTests(AzuriteFixture azurite) : RangeReadContract(new AzureStoreUnderTest(azurite));

/// <summary>Concatenation trying Put Block From URL first (azurite answers 501, so the store falls back to copying).</summary>
public sealed class AzureConcatenationFromUrlTests(AzuriteFixture azurite) : ConcatenationContract(new AzureStoreUnderTest(azurite));

/// <summary>Concatenation where the credential cannot sign a source URL: the bytes pass through one block buffer.</summary>
public sealed class AzureConcatenationCopiedThroughTests(AzuriteFixture azurite)
    : ConcatenationContract(new AzureStoreUnderTest(azurite, options => options.StageBlocksFromUrl = false));

public sealed class AzureDeletionTests(AzuriteFixture azurite) : DeletionContract(new AzureStoreUnderTest(azurite));

public sealed class AzureDescribeTests(AzuriteFixture azurite) : DescribeContract(new AzureStoreUnderTest(azurite));
