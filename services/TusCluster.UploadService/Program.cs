using TusCluster.UploadService.Hosting;

return await UploadServiceHost.RunAsync(args);
