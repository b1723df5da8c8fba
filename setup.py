"""Only the build step pyproject.toml cannot express: the translations compiled (.po to .mo) whenever the
package is built or installed, editable installs included. Everything else is in pyproject.toml."""
import importlib.util
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


def _catalogs_module():
    """app/catalogs.py by its path: importing the `app` package would need Flask, absent from the build."""
    spec = importlib.util.spec_from_file_location("gps_live_catalogs", HERE / "app" / "catalogs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildPyWithCatalogs(build_py):
    def run(self):
        super().run()
        source = HERE / "app" / "translations"
        # An editable install serves the source tree itself; a wheel or a normal install, the build folder.
        target = source if getattr(self, "editable_mode", False) else Path(self.build_lib) / "app" / "translations"
        _catalogs_module().compile_catalogs(source, target)


setup(cmdclass={"build_py": BuildPyWithCatalogs})
