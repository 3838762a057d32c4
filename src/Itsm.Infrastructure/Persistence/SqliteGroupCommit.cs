using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Itsm.Infrastructure.Persistence;

/// <summary>
/// SQLite's single writer, shared by group commit (docs/decisions/0006-sqlite-group-commit.md).
/// Units of work queue here. One thread, the writer, drains the queue in batches: it opens one transaction, runs each
/// waiting unit on that transaction's connection inside its own savepoint (so a unit that fails takes back only its
/// own writes), then commits once. The fsync of a commit, most of a small write's time with <c>synchronous=FULL</c>,
/// is paid once per batch instead of once per request; and the writer runs the units itself, so the single writer
/// never waits for the thread pool to schedule the next unit. A unit's caller hears that it is done only after the
/// batch's commit is on disk, so an acknowledged write is as durable as with a transaction of its own.
/// </summary>
public sealed class SqliteGroupCommit : IDisposable
{
    /// <summary>A batch takes no new units after this many, or after <see cref="MaxBatchTime"/>: a bound on latency.</summary>
    private const int MaxBatchSize = 64;
    private static readonly TimeSpan MaxBatchTime = TimeSpan.FromMilliseconds(20);

    private readonly Channel<Unit> _queue = Channel.CreateUnbounded<Unit>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqlitePragmas _pragmas;
    private readonly ILogger<SqliteGroupCommit> _logger;
    private readonly Lock _startLock = new();
    private Thread? _writer;
    private string? _connectionString;
    private long _batches, _unitsCommitted;

    public SqliteGroupCommit(SqlitePragmas pragmas, ILogger<SqliteGroupCommit> logger) => (_pragmas, _logger) = (pragmas, logger);

    /// <summary>Committed batches and the units of work in them, since start (their ratio is the mean batch size).</summary>
    public (long Batches, long Units) Totals => (Interlocked.Read(ref _batches), Interlocked.Read(ref _unitsCommitted));

    /// <summary>
    /// Runs <paramref name="work"/> on the writer's connection and transaction, and completes once its writes are
    /// committed. If it throws, its writes are taken back and the exception comes back here. Canceling only stops a
    /// unit that has not started.
    /// </summary>
    public async Task RunAsync(string connectionString, Func<DbConnection, DbTransaction, Task> work, CancellationToken ct)
    {
        EnsureStarted(connectionString);
        var unit = new Unit(work, ExecutionContext.Capture());
        if (!_queue.Writer.TryWrite(unit)) throw new ObjectDisposedException(nameof(SqliteGroupCommit));
        await using (ct.Register(static u => ((Unit)u!).TryCancel(), unit))
            await unit.Done.Task;
    }

    private void EnsureStarted(string connectionString)
    {
        if (_writer is not null) return;
        lock (_startLock)
        {
            if (_writer is not null) return;
            _connectionString = connectionString;
            _writer = new Thread(WriterLoop) { IsBackground = true, Name = "SQLite writer" };
            _writer.Start();
        }
    }

    private void WriterLoop()
    {
        var batch = new List<Unit>(MaxBatchSize);
        // Blocking waits are right here: this thread does nothing else, and the units mostly complete synchronously
        // (Microsoft.Data.Sqlite does its I/O synchronously).
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            try
            {
                using var connection = new SqliteConnection(_connectionString);
                connection.Open();
                _pragmas.Apply(connection);
                using var transaction = connection.BeginTransaction();
                var started = Stopwatch.GetTimestamp();
                while (batch.Count < MaxBatchSize && Stopwatch.GetElapsedTime(started) < MaxBatchTime && _queue.Reader.TryRead(out var unit))
                    if (Run(unit, connection, transaction, "unit" + batch.Count)) batch.Add(unit);
                if (batch.Count == 0) continue; // disposing the transaction rolls back the empty batch
                transaction.Commit();
                Interlocked.Increment(ref _batches);
                Interlocked.Add(ref _unitsCommitted, batch.Count);
                foreach (var unit in batch) unit.Done.TrySetResult();
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "A SQLite group commit of {Count} units of work failed", batch.Count);
                foreach (var unit in batch) unit.Done.TrySetException(ex);
                // Failing before any unit ran (the file cannot be opened, say) would fail again at once: answer the
                // waiting units with the error instead of leaving them to hang while the loop spins.
                if (batch.Count == 0)
                    while (_queue.Reader.TryRead(out var waiting))
                        if (waiting.TryStart()) waiting.Done.TrySetException(ex);
            }
        }
    }

    /// <summary>Runs one unit inside a savepoint; true if its writes stay in the batch.</summary>
    private static bool Run(Unit unit, SqliteConnection connection, SqliteTransaction transaction, string savepoint)
    {
        if (!unit.TryStart()) return false; // its caller gave up while it waited
        var saved = false;
        try
        {
            transaction.Save(savepoint);
            saved = true;
            // In the caller's execution context: its async locals (the request, the logging scope) go with its work.
            Task? task = null;
            if (unit.Context is null) task = unit.Work(connection, transaction);
            else ExecutionContext.Run(unit.Context, _ => task = unit.Work(connection, transaction), null);
            task!.GetAwaiter().GetResult();
            transaction.Release(savepoint);
            return true;
        }
        catch (Exception ex)
        {
            // The caller hears first; if taking its writes back fails too, the batch fails (the loop's catch).
            unit.Done.TrySetException(ex);
            if (saved)
            {
                transaction.Rollback(savepoint);
                transaction.Release(savepoint);
            }
            return false;
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer?.Join(TimeSpan.FromSeconds(30));
    }

    private sealed class Unit(Func<DbConnection, DbTransaction, Task> work, ExecutionContext? context)
    {
        private const int Queued = 0, Started = 1, Canceled = 2;
        private int _state;

        public Func<DbConnection, DbTransaction, Task> Work { get; } = work;
        public ExecutionContext? Context { get; } = context;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool TryStart() => Interlocked.CompareExchange(ref _state, Started, Queued) == Queued;

        public void TryCancel()
        {
            if (Interlocked.CompareExchange(ref _state, Canceled, Queued) == Queued) Done.TrySetCanceled();
        }
    }
}
