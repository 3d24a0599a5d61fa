using System.Buffers;
using Grpc.Core;
using OpenBao.Csi.Provider.Grpc;
using OpenBao.Csi.Provider.V1Alpha1;
using ProtoFile = OpenBao.Csi.Provider.V1Alpha1.File;

namespace OpenBao.Csi.Provider.Tests.Grpc;

/// <summary>The provider binds its methods itself; they must be the ones protoc generated from the driver's proto.</summary>
public sealed class CsiDriverProviderMethodsTests
{
    [Fact]
    public void Descriptors_AreTheGeneratedOnes()
    {
        var generated = GeneratedMethods();
        IMethod[] ours = [CsiDriverProviderMethods.Version, CsiDriverProviderMethods.Mount];
        Assert.Equal(
            generated.Select(method => (method.Type, method.ServiceName, method.Name, method.FullName)),
            ours.Select(method => (method.Type, method.ServiceName, method.Name, method.FullName)));
    }

    [Fact]
    public void Marshallers_RoundTripAsTheGeneratedOnes()
    {
        var request = new MountRequest { Attributes = "{\"objects\":\"x\"}", Permission = "420", TargetPath = "/t" };
        request.CurrentObjectVersion.Add(new ObjectVersion { Id = "a", Version = "1" });
        var generated = (Method<MountRequest, MountResponse>)GeneratedMethods().Single(method => method.Name == "Mount");

        var ourBytes = Serialize(CsiDriverProviderMethods.Mount.RequestMarshaller, request);
        Assert.Equal(Serialize(generated.RequestMarshaller, request), ourBytes);
        Assert.Equal(request, CsiDriverProviderMethods.Mount.RequestMarshaller.ContextualDeserializer(new Payload(ourBytes)));

        var response = new MountResponse { Error = new Error { Code = "x" } };
        response.Files.Add(new ProtoFile { Path = "a", Mode = 420, Contents = Google.Protobuf.ByteString.CopyFromUtf8("s") });
        Assert.Equal(response, generated.ResponseMarshaller.ContextualDeserializer(new Payload(Serialize(CsiDriverProviderMethods.Mount.ResponseMarshaller, response))));
    }

    private static List<IMethod> GeneratedMethods()
    {
        var binder = new CollectingBinder();
        CSIDriverProvider.BindService(binder, null);
        return binder.Methods;
    }

    private static byte[] Serialize<T>(Marshaller<T> marshaller, T message)
    {
        var context = new Written();
        marshaller.ContextualSerializer(message, context);
        return context.Bytes.WrittenSpan.ToArray();
    }

    private sealed class CollectingBinder : ServiceBinderBase
    {
        public List<IMethod> Methods { get; } = [];

        public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
            Methods.Add(method);
    }

    private sealed class Payload(byte[] received) : DeserializationContext
    {
        public override int PayloadLength => received.Length;

        public override byte[] PayloadAsNewBuffer() => received.ToArray();

        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(received);
    }

    private sealed class Written : SerializationContext
    {
        public ArrayBufferWriter<byte> Bytes { get; } = new();

        public override void Complete(byte[] payload) => Bytes.Write(payload);

        public override IBufferWriter<byte> GetBufferWriter() => Bytes;

        public override void SetPayloadLength(int payloadLength)
        {
        }

        public override void Complete()
        {
        }
    }
}
