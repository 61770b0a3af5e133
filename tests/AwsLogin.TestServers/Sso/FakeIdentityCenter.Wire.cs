using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace AwsLogin.TestServers;

/// <summary>The restJson documents and HTTP answers of the fake.</summary>
public sealed partial class FakeIdentityCenter
{
    // The service namespaces AWS puts after the exception name in x-amzn-ErrorType.
    private const string OidcErrorNamespace = "http://internal.amazon.com/coral/com.amazonaws.sso.oidc/";
    private const string PortalErrorNamespace = "http://internal.amazon.com/coral/com.amazon.switchboard.portal/";

    private static JsonObject ReadJson(byte[] body)
    {
        if (body.Length == 0)
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(body) as JsonObject ?? throw SsoFault.InvalidRequest("The request body must be a JSON object.");
        }
        catch (JsonException)
        {
            throw SsoFault.InvalidRequest("The request body is not valid JSON.");
        }
    }

    private static string? JsonString(JsonObject json, string name)
    {
        JsonNode? node = json[name];
        if (node is null)
        {
            return null;
        }

        return node is JsonValue value && value.TryGetValue(out string? text)
            ? text
            : throw SsoFault.InvalidRequest($"{name} must be a string.");
    }

    private static List<string>? JsonStrings(JsonObject json, string name)
    {
        JsonNode? node = json[name];
        if (node is null)
        {
            return null;
        }

        if (node is not JsonArray array)
        {
            throw SsoFault.InvalidRequest($"{name} must be a list of strings.");
        }

        return array.Select(item => item is JsonValue value && value.TryGetValue(out string? text)
            ? text
            : throw SsoFault.InvalidRequest($"{name} must be a list of strings.")).ToList();
    }

    private sealed record Reply(int Status, string? ContentType, string? Body, string? Location, string? ErrorType)
    {
        public static Reply Json(JsonObject document) => new(200, "application/json", document.ToJsonString(), null, null);

        public static Reply Empty() => new(200, null, null, null, null);

        public static Reply Redirect(string location) => new(302, null, null, location, null);

        public static Reply Html(int status, string text) =>
            new(status, "text/html; charset=utf-8",
                $"<!DOCTYPE html><html><head><title>AWS access portal</title></head><body><p>{WebUtility.HtmlEncode(text)}</p></body></html>",
                null, null);

        public static Reply Error(SsoFault fault)
        {
            JsonObject body = fault.IsOidc
                ? new JsonObject { ["error"] = fault.OAuthError, ["error_description"] = fault.Message }
                : new JsonObject { ["message"] = fault.Message };
            string errorType = fault.Code + ":" + (fault.IsOidc ? OidcErrorNamespace : PortalErrorNamespace);
            return new Reply(fault.HttpStatus, "application/json", body.ToJsonString(), null, errorType);
        }

        public async Task WriteAsync(HttpResponse response, CancellationToken cancellationToken)
        {
            response.StatusCode = Status;
            response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
            if (ErrorType is not null)
            {
                response.Headers["x-amzn-ErrorType"] = ErrorType;
            }

            if (Location is not null)
            {
                response.Headers.Location = Location;
            }

            if (ContentType is not null)
            {
                response.ContentType = ContentType;
            }

            byte[] bytes = Encoding.UTF8.GetBytes(Body ?? string.Empty);
            response.ContentLength = bytes.Length;
            if (bytes.Length > 0)
            {
                await response.Body.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
