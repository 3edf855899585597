// Upload form: POST /api/ingest, then poll /api/jobs/{id} and show progress and links to the new documents.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form) return;
  var box = document.getElementById("job"), bar = document.getElementById("job-progress"),
      status = document.getElementById("job-status"), docs = document.getElementById("job-docs");
  function show(job) {
    box.hidden = false;
    bar.value = job.progress || 0;
    status.textContent = job.state + (job.total !== null ? " · " + job.done + "/" + job.total : "") +
      (job.state === "done" ? " · " + job.stored + " stored, " + job.unchanged + " unchanged, " + job.errors + " errors" : "") +
      (job.message ? " · " + job.message : "");
    document.body.dataset.jobState = job.state;
    if (job.state === "done") {
      docs.textContent = "";
      (job.document_ids || []).forEach(function (id) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = "/documents/" + id; a.textContent = "document " + id; li.appendChild(a); docs.appendChild(li);
      });
    }
  }
  function poll(id) {
    fetch("/api/jobs/" + encodeURIComponent(id), {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (job) { show(job); if (job.state === "queued" || job.state === "running") setTimeout(function () { poll(id); }, 700); });
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    status.textContent = "uploading…"; box.hidden = false;
    fetch("/api/ingest", {method: "POST", body: new FormData(form), credentials: "same-origin"})
      .then(function (r) { return r.json().then(function (b) { if (!r.ok) throw new Error(b.error || r.statusText); return b; }); })
      .then(function (job) { show(job); poll(job.job_id); })
      .catch(function (err) { status.textContent = "error: " + err.message; document.body.dataset.jobState = "error"; });
  });
})();
