using RecordingFunctions.Bench;

namespace RecordingFunctions.Tests.Bench;

/// <summary>How the bench's counting proxy names each storage request (service by port, kind by method, path and query).</summary>
public sealed class StorageOperationTests
{
    [Theory]
    [InlineData("POST", "/devstoreaccount1/hub-control-00/messages", "?messagettl=-1", "queue put")]
    [InlineData("GET", "/devstoreaccount1/hub-control-00/messages", "?numofmessages=32&visibilitytimeout=300", "queue get")]
    [InlineData("GET", "/devstoreaccount1/hub-control-00/messages", "?peekonly=true", "queue peek")]
    [InlineData("DELETE", "/devstoreaccount1/hub-workitems/messages/5b1c", "?popreceipt=AAAA", "queue delete")]
    [InlineData("PUT", "/devstoreaccount1/hub-workitems/messages/5b1c", "?popreceipt=AAAA&visibilitytimeout=30", "queue update")]
    [InlineData("PUT", "/devstoreaccount1/hub-workitems", "", "queue create queue")]
    [InlineData("GET", "/devstoreaccount1/hub-workitems", "?comp=metadata", "queue metadata")]
    public void Queue_requests_are_named_by_what_they_do_to_messages(string method, string path, string query, string expected) =>
        Assert.Equal(expected, StorageOperation.Classify("queue", method, path, query).ToString());

    [Theory]
    [InlineData("POST", "/devstoreaccount1/$batch", "", "table batch")]
    [InlineData("GET", "/devstoreaccount1/hubHistory()", "?$filter=PartitionKey%20eq%20'abc'", "table query")]
    [InlineData("GET", "/devstoreaccount1/hubInstances(PartitionKey='abc',RowKey='')", "", "table read")]
    [InlineData("PATCH", "/devstoreaccount1/hubInstances(PartitionKey='abc',RowKey='')", "", "table write")]
    [InlineData("MERGE", "/devstoreaccount1/hubInstances(PartitionKey='abc',RowKey='')", "", "table write")]
    [InlineData("POST", "/devstoreaccount1/hubInstances", "", "table write")]
    [InlineData("POST", "/devstoreaccount1/Tables", "", "table create table")]
    public void Table_requests_tell_a_query_from_a_read_by_keys_and_a_batch_from_a_write(string method, string path, string query, string expected) =>
        Assert.Equal(expected, StorageOperation.Classify("table", method, path, query).ToString());

    [Theory]
    [InlineData("PUT", "/devstoreaccount1/recordings/room/rec/transcript.txt", "", "blob write")]
    [InlineData("PUT", "/devstoreaccount1/recordings/room/rec/transcript.txt", "?comp=block&blockid=AAAA", "blob write")]
    [InlineData("GET", "/devstoreaccount1/recordings/room/rec/summary.json", "", "blob read")]
    [InlineData("HEAD", "/devstoreaccount1/recordings/room/rec/summary.json", "", "blob properties")]
    [InlineData("GET", "/devstoreaccount1/recordings", "?restype=container&comp=list&prefix=room", "blob list")]
    [InlineData("PUT", "/devstoreaccount1/hub-leases/default/hub-control-00", "?comp=lease", "blob lease")]
    [InlineData("PUT", "/devstoreaccount1/hub-leases", "?restype=container&comp=lease", "blob container lease")]
    [InlineData("PUT", "/devstoreaccount1/recordings", "?restype=container", "blob create container")]
    [InlineData("DELETE", "/devstoreaccount1/recordings/room/rec/old.txt", "", "blob delete")]
    public void Blob_requests_are_named_by_their_billing_kind(string method, string path, string query, string expected) =>
        Assert.Equal(expected, StorageOperation.Classify("blob", method, path, query).ToString());

    [Fact]
    public void A_table_batch_counts_each_operation_inside_it()
    {
        var body = "--batch_1\r\nContent-Type: multipart/mixed; boundary=changeset_1\r\n\r\n"
            + string.Concat(Enumerable.Range(0, 3).Select(i => $"--changeset_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nPOST http://x/hubHistory HTTP/1.1\r\n\r\n{{}}\r\n"))
            + "--changeset_1--\r\n--batch_1--\r\n";
        Assert.Equal(3, StorageOperation.EntitiesInBatch(System.Text.Encoding.UTF8.GetBytes(body)));
    }
}
