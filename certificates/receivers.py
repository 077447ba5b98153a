def issue_on_completion(sender, enrollment, **kwargs) -> None:
    """A completed course earns its certificate, issued by a task off the delegate's request
    (``certificates.issuing``). The signal is sent after commit, so the task sees the
    completion."""
    from certificates.issuing import enqueue_issue

    enqueue_issue(enrollment_id=enrollment.pk)
