using TusCluster.Sweeper.Hosting;

return await SweeperHost.RunAsync(args);
