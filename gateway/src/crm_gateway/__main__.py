"""`python -m crm_gateway`: serve the API (CRM_GATEWAY_HOST/PORT, default 127.0.0.1:8000)."""

from crm_gateway.app import main

if __name__ == "__main__":
    main()
