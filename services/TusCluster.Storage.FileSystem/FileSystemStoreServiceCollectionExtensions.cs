using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TusCluster.Protocol.Storage;

namespace TusCluster.Storage.FileSystem;

public static class FileSystemStoreServiceCollectionExtensions
{
    public static IServiceCollection AddFileSystemUploadStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FileSystemStoreOptions>().Bind(configuration.GetSection(FileSystemStoreOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FileSystemStoreOptions>, FileSystemStoreOptionsValidator>();
        services.AddSingleton<IUploadStore, FileSystemUploadStore>();
        services.AddSingleton<IUploadInventory, FileSystemUploadInventory>();
        return services;
    }
}
