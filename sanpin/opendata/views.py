"""Public open-data pages: the index (files, sizes, generation time, field list) and the
download of a generated file. Only the names in FILES are served, so no path reaches anything
else on disk."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views import View

from .export import CSV_NAME, FIELDS, FILES, directory, read_manifest

CONTENT_TYPES = {CSV_NAME: "text/csv; charset=utf-8", "registry.json": "application/json; charset=utf-8"}


class OpenDataIndexView(View):
    def get(self, request):
        manifest = read_manifest()
        files = []
        for name in FILES:
            path = directory() / name
            if path.is_file():
                files.append({"name": name, "size": path.stat().st_size})
        return render(request, "opendata/index.html", {"manifest": manifest, "files": files, "fields": FIELDS})


class OpenDataFileView(View):
    def get(self, request, name):
        if name not in FILES:
            raise Http404()
        path = directory() / name
        if not path.is_file():
            raise Http404()
        return FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type=CONTENT_TYPES[name])
