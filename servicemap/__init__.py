"""卢街颐养 · 养老服务资源分布图: the logic behind the dashboard, importable without Streamlit."""

__version__ = "0.1.0"
