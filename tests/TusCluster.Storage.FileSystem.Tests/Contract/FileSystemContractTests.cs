using TusCluster.Storage.Contract;

namespace TusCluster.Storage.FileSystem.Tests.Contract;

public sealed class FileSystemChunkingTests() : ChunkingContract(new FileSystemStoreUnderTest());

public sealed class FileSystemFencingContractTests() : FencingContract(new FileSystemStoreUnderTest());

public sealed class FileSystemRangeReadTests() : RangeReadContract(new FileSystemStoreUnderTest());

public sealed class FileSystemConcatenationTests() : ConcatenationContract(new FileSystemStoreUnderTest());

public sealed class FileSystemDeletionTests() : DeletionContract(new FileSystemStoreUnderTest());

public sealed class FileSystemDescribeTests() : DescribeContract(new FileSystemStoreUnderTest());
