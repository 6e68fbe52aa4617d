using TusCluster.Hooks.Grpc.Proto;
using TusCluster.Hooks.Payload;
using TusCluster.Protocol.Events;

namespace TusCluster.Hooks.Grpc;

/// <summary>An event as tusd's gRPC HookRequest, and a HookResponse as a decision, the way tusd's grpc.go maps them.</summary>
internal static class GrpcHookMessages
{
    public static HookRequest ToRequest(UploadEvent uploadEvent)
    {
        var upload = uploadEvent.Upload;
        var fileInfo = new Proto.FileInfo
        {
            Id = upload.Id,

            // int64 in the proto: 0 while the length is deferred, as tusd sends it.
            Size = upload.Size ?? 0,
            SizeIsDeferred = upload.SizeIsDeferred,
            Offset = upload.Offset,
            IsPartial = upload.IsPartial,
            IsFinal = upload.IsFinal,
        };
        fileInfo.MetaData.Add(upload.MetaData.ToDictionary());
        fileInfo.PartialUploads.Add(upload.PartialUploads ?? []);
        if (upload.Storage is not null)
        {
            fileInfo.Storage.Add(upload.Storage.ToDictionary());
        }

        var request = new HTTPRequest { Method = uploadEvent.HttpRequest.Method, Uri = uploadEvent.HttpRequest.Uri, RemoteAddr = uploadEvent.HttpRequest.RemoteAddr };
        foreach (var (name, values) in uploadEvent.HttpRequest.Header)
        {
            var key = GoHeaderName.Canonical(name);
            if (values.Length > 0 && !request.Header.ContainsKey(key))
            {
                request.Header[key] = values[0];
            }
        }

        return new HookRequest { Type = uploadEvent.Type.Name(), Event = new Event { Upload = fileInfo, HttpRequest = request } };
    }

    /// <summary>
    /// tusd's proto has no RejectTermination, so a gRPC hook cannot keep an upload from deletion. An empty
    /// metadata map is indistinguishable from none in proto3 and keeps the client's metadata, as with tusd.
    /// </summary>
    /// <exception cref="HookUnavailableException">The status code is not an HTTP status.</exception>
    public static HookDecision ToDecision(HookResponse response) => new()
    {
        HttpResponse = ToHttpResponse(response.HttpResponse),
        RejectUpload = response.RejectUpload,
        ChangeId = string.IsNullOrEmpty(response.ChangeFileInfo?.Id) ? null : response.ChangeFileInfo.Id,
        ChangeMetaData = response.ChangeFileInfo is { MetaData.Count: > 0 } changes ? new Dictionary<string, string>(changes.MetaData) : null,
    };

    private static HookHttpResponse? ToHttpResponse(HTTPResponse? response)
    {
        if (response is null || (response.StatusCode == 0 && response.Body.Length == 0 && response.Header.Count == 0))
        {
            return null;
        }

        if (response.StatusCode is < 0 or > 999)
        {
            throw new HookUnavailableException($"The gRPC hook answered status code {response.StatusCode}, which is not an HTTP status.");
        }

        return new HookHttpResponse
        {
            StatusCode = response.StatusCode == 0 ? null : (int)response.StatusCode,
            Body = response.Body.Length == 0 ? null : response.Body,
            Header = new Dictionary<string, string>(response.Header),
        };
    }
}
