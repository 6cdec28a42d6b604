// Writes the transparency log's entries in the same transaction as the change they record (see RegistryLog).
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Smpc.Registry.Data;

namespace Smpc.Registry.Transparency;

public sealed class RegistryLogInterceptor(RegistryLog log) : SaveChangesInterceptor
{
    readonly ConditionalWeakTable<DbContext, RegistryLog.Batch> _batches = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stage(eventData.Context, wait: true);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Stage(eventData.Context, wait: false);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result) { Finish(eventData.Context, true); return result; }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Finish(eventData.Context, true);
        return ValueTask.FromResult(result);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) => Finish(eventData.Context, false);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Finish(eventData.Context, false);
        return Task.CompletedTask;
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) => Finish(eventData.Context, false);

    public override Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        Finish(eventData.Context, false);
        return Task.CompletedTask;
    }

    void Stage(DbContext? context, bool wait)
    {
        if (context is RegistryDb db && log.Stage(db, wait) is { } batch) _batches.AddOrUpdate(db, batch);
    }

    void Finish(DbContext? context, bool saved)
    {
        if (context is null || !_batches.TryGetValue(context, out var batch)) return;
        _batches.Remove(context);
        if (saved) { log.Commit(batch); return; }
        // The rows of a failed save would be saved again, at stale positions, by the next attempt: drop them.
        foreach (var e in context.ChangeTracker.Entries().Where(e => e.State == EntityState.Added && e.Entity is LogEntryRow or LogHeadRow).ToList())
            e.State = EntityState.Detached;
        log.Abort(batch);
    }
}
