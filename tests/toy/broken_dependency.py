"""A module that is installed but cannot be imported, as a wheel built against a missing
shared library is: `equiv list` must show this error, not 'ok'."""
raise ImportError("libtoyphysics.so.3: cannot open shared object file: No such file or directory")
