dotnet nuget push *.nupkg --api-key oy2tldb6bp53lrx47buohtm4hyx7awvi3tcc73z42315dz --source https://api.nuget.org/v3/index.json
