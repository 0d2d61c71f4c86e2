"""The author service: profiles, claiming works, deciding on uncertain citations."""
