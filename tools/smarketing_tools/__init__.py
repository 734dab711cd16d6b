"""What the warehouse is developed with, not what users run it with: the demo exports
generator (``smarketing_tools.generator``) and the benchmark (``smarketing_tools.bench``)."""
